import { arnNotLikeTable } from './arn-not-like-table.js';

arnNotLikeTable('ArnNotLike');
