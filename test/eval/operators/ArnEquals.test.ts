import { arnLikeTable } from './arn-like-table.js';

arnLikeTable('ArnEquals');
